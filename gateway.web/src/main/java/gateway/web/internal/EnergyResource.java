package gateway.web.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import gateway.core.api.CopStore;
import gateway.core.api.Heatpump;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /energy?device=&by=day|month&from=&to=&format=json|csv}: heat delivered and electricity used per day or
 * month, with the COP of each period and the season's SCOP, from the day sums the manager saves with the COP
 * ({@link CopStore#days}). One device, or all devices summed when {@code device} is left out (or {@code all}).
 *
 * <p>Days are the manager's: calendar days in the gateway's (system) time zone. A period's COP is its heat over its
 * electricity, never a mean of daily ratios. The season is the heating year from 1 July to 30 June that holds
 * {@code to}, so a winter is never split.
 */
final class EnergyResource {

    /** Ten years of days: more is a mistake, not a chart. */
    static final long MAX_DAYS = 3660;

    enum By {
        DAY, MONTH
    }

    /** One period: {@code period} is {@code 2026-11-27} by day, {@code 2026-11} by month; cop null without electricity. */
    record EnergyRow(String period, double heatKwh, double electricKwh, Double cop) {
    }

    /** The heating year from 1 July to 30 June that holds the range's end, and its seasonal COP. */
    record EnergySeason(String from, String to, double heatKwh, double electricKwh, Double scop) {
    }

    /** @param device null for all devices summed */
    record EnergyView(String device, List<String> devices, String by, String from, String to, String unit,
                      List<EnergyRow> rows, EnergyRow total, EnergySeason season) {
    }

    private final GatewayServices services;

    EnergyResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/energy", Role.VIEWER, "Heat delivered and electricity used per day or month, with COP and"
                + " the season's SCOP (?device=&by=day|month&from=&to=&format=json|csv)", this::energy);
    }

    private Object energy(ApiRequest request) throws UnknownHeatpumpException, IOException {
        String by = lower(request.query("by"), "day");
        By unit;
        try {
            unit = By.valueOf(by.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'by' must be day or month, got '" + by + "'");
        }
        String format = lower(request.query("format"), "json");
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiException.badRequest("'format' must be json or csv, got '" + format + "'");
        }
        ZoneId zone = ZoneId.systemDefault();
        LocalDate today = LocalDate.ofInstant(services.clock.instant(), zone);
        LocalDate to = date(request.query("to"), "to", true, zone);
        to = to == null ? today : to;
        LocalDate from = date(request.query("from"), "from", false, zone);
        if (from == null) {
            from = unit == By.DAY ? to.minusDays(29) : to.withDayOfMonth(1).minusMonths(11);
        }
        if (from.isAfter(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must not be after 'to' (" + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ApiException.badRequest("the range from " + from + " to " + to + " is longer than " + MAX_DAYS
                    + " days");
        }

        String device = request.query("device");
        List<String> devices = new ArrayList<>();
        if (device == null || device.isBlank() || device.equals("all")) {
            device = null;
            services.manager.heatpumps().stream().map(Heatpump::id).forEach(devices::add);
        } else {
            services.manager.status(device); // 404 for an unknown device
            devices.add(device);
        }
        CopStore store = services.cop();

        LocalDate seasonFrom = LocalDate.of(to.getMonthValue() >= 7 ? to.getYear() : to.getYear() - 1, 7, 1);
        LocalDate seasonTo = seasonFrom.plusYears(1).minusDays(1);
        LocalDate readFrom = from.isBefore(seasonFrom) ? from : seasonFrom;
        LocalDate readTo = to.isAfter(seasonTo) ? to : seasonTo;
        // period -> {heat, electricity}; the season from the same read
        Map<String, double[]> sums = new TreeMap<>();
        double seasonHeat = 0;
        double seasonElectric = 0;
        for (String id : devices) {
            for (CopStore.CopDay d : store.days(id, readFrom, readTo)) {
                if (!d.day().isBefore(seasonFrom) && !d.day().isAfter(seasonTo)) {
                    seasonHeat += d.heatKwh();
                    seasonElectric += d.electricKwh();
                }
                if (!d.day().isBefore(from) && !d.day().isAfter(to)) {
                    String period = unit == By.DAY ? d.day().toString() : YearMonth.from(d.day()).toString();
                    double[] s = sums.computeIfAbsent(period, p -> new double[2]);
                    s[0] += d.heatKwh();
                    s[1] += d.electricKwh();
                }
            }
        }
        List<EnergyRow> rows = new ArrayList<>();
        double heat = 0;
        double electric = 0;
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            rows.add(row(e.getKey(), e.getValue()[0], e.getValue()[1]));
            heat += e.getValue()[0];
            electric += e.getValue()[1];
        }
        EnergyRow total = row("total", heat, electric);
        EnergySeason season = new EnergySeason(seasonFrom.toString(), seasonTo.toString(), kwh(seasonHeat),
                kwh(seasonElectric), cop(seasonHeat, seasonElectric));
        if (format.equals("json")) {
            return new EnergyView(device, devices, ApiModel.lower(unit), from.toString(), to.toString(), "kWh", rows,
                    total, season);
        }
        HttpServletResponse response = request.servletResponse();
        response.setStatus(200);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"energy-" + (device == null ? "all" : device)
                + "-" + ApiModel.lower(unit) + "-" + from + "-" + to + ".csv\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        // the units are in the header, so a spreadsheet shows them above the numbers
        out.write(ApiModel.lower(unit) + ",heat_kwh,electricity_kwh,cop\n");
        for (EnergyRow r : rows) {
            out.write(r.period() + "," + number(r.heatKwh()) + "," + number(r.electricKwh()) + ","
                    + (r.cop() == null ? "" : number(r.cop())) + "\n");
        }
        out.flush();
        return Reply.STREAMED;
    }

    private static EnergyRow row(String period, double heat, double electric) {
        return new EnergyRow(period, kwh(heat), kwh(electric), cop(heat, electric));
    }

    /** Wh are the finest a person reads; below is the noise of integrating power. */
    static double kwh(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static Double cop(double heat, double electric) {
        return electric > 0 ? Math.round(heat / electric * 100) / 100.0 : null;
    }

    private static String number(double v) {
        return ExportResource.plain(v, null);
    }

    private static String lower(String text, String otherwise) {
        return text == null || text.isBlank() ? otherwise : text.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A calendar date ({@code 2026-11-27}), a month ({@code 2026-11}: its first or, for {@code to}, last day) or an
     * instant (its day in the gateway's zone).
     */
    static LocalDate date(String text, String name, boolean end, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        try {
            if (s.matches("\\d{4}-\\d{2}")) {
                YearMonth m = YearMonth.parse(s);
                return end ? m.atEndOfMonth() : m.atDay(1);
            }
            if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(s);
            }
            LocalDate d = LocalDate.ofInstant(java.time.Instant.parse(s), zone);
            if (d.getYear() < 1900 || d.getYear() > 9999) {
                throw new DateTimeException("year out of range");
            }
            return d;
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'" + name + "' must be a date (2026-11-27), a month (2026-11) or an"
                    + " ISO-8601 instant, got '" + text + "'");
        }
    }
}
