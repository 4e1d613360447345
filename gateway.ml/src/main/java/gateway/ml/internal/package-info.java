/** Online anomaly detection: models, scoring, persistence of model state. Private to the bundle. */
package gateway.ml.internal;
