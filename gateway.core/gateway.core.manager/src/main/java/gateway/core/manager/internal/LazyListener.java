package gateway.core.manager.internal;

import org.osgi.service.component.ComponentServiceObjects;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceStatus;
import gateway.core.api.ReadingListener;

/**
 * A reading listener service fetched on its first delivery, on its dispatcher's thread, not while the manager binds
 * it. Listeners such as the metrics push and the alert engine need the manager themselves; getting them during the
 * manager's own activation made SCR report a circular reference (and bind them late) at every start.
 */
final class LazyListener implements ReadingListener {

    private final ComponentServiceObjects<ReadingListener> service;
    private volatile ReadingListener target;

    LazyListener(ComponentServiceObjects<ReadingListener> service) {
        this.service = service;
    }

    ComponentServiceObjects<ReadingListener> service() {
        return service;
    }

    private ReadingListener target() {
        ReadingListener t = target;
        if (t == null) {
            synchronized (this) {
                if (target == null) {
                    target = service.getService();
                }
                t = target;
            }
        }
        return t;
    }

    @Override
    public void snapshot(DeviceSnapshot snapshot) {
        ReadingListener t = target();
        if (t != null) {
            t.snapshot(snapshot);
        }
    }

    @Override
    public void stateChanged(DeviceStatus status) {
        ReadingListener t = target();
        if (t != null) {
            t.stateChanged(status);
        }
    }

    /** Gives the service back (after the dispatcher stopped). */
    synchronized void release() {
        if (target != null) {
            try {
                service.ungetService(target);
            } catch (IllegalStateException | IllegalArgumentException alreadyGone) {
                // the service or the manager's component is already gone
            }
            target = null;
        }
    }
}
