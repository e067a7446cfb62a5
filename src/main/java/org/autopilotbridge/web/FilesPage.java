package org.autopilotbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.ResultLine;
import org.autopilotbridge.tenant.Tenant;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The files' pages: {@code /files}, newest first with the upload form, and {@code /files/{id}}, one file's lines.
 * Plain HTML; files.js adds the upload by drag and drop and refreshes what is marked live while a file is in progress.
 */
@Controller
class FilesPage {

    static final String PATH = "/files";
    static final int LIST_SIZE = 100;
    static final int LINES_PER_PAGE = 500;
    /** How much of a refusal's reason the list shows. */
    static final int REASON_SHORT = 80;

    private final FileViews views;
    private final WebProperties web;
    private final UploadInboxes inboxes;

    FilesPage(FileViews views, WebProperties web, UploadInboxes inboxes) {
        this.views = views;
        this.web = web;
        this.inboxes = inboxes;
    }

    @GetMapping("/")
    RedirectView home() {
        return new RedirectView(PATH);
    }

    @GetMapping(PATH)
    ResponseEntity<String> list() {
        List<FileView> files = views.newest(LIST_SIZE);
        Instant now = Instant.now();
        boolean live = files.stream().anyMatch(f -> f.state().inProgress());
        boolean several = inboxes.several();
        StringBuilder rows = new StringBuilder();
        for (FileView f : files) {
            rows.append("<tr><th scope=\"row\">").append(Html.link(PATH + "/" + f.id(), f.name())).append("</th><td>")
                    .append(several ? tenant(f) + "</td><td>" : "").append(source(f)).append("</td><td>")
                    .append(Html.time(f.received())).append("</td><td>")
                    .append(state(f)).append("</td><td>").append(outcomes(f)).append("</td><td>")
                    .append(Html.duration(f.duration(now))).append("</td><td>").append(reports(f)).append("</td></tr>\n");
        }
        long max = web.getMaxUpload().toBytes();
        String body = """
                <h1>Hash files</h1>
                <section class="upload" id="upload-zone" aria-labelledby="upload-title">
                <h2 id="upload-title">Upload</h2>
                <form id="upload" action="%s" method="post" enctype="multipart/form-data" data-max="%d" data-max-text="%s">
                <label for="upload-files">Hash files (CSV), or drop them here</label>
                <input id="upload-files" type="file" name="file" accept=".csv,text/csv" multiple required>
                %s<button type="submit">Upload</button>
                </form>
                <ul id="upload-status" aria-live="polite"></ul>
                </section>
                <section aria-labelledby="files-title">
                <h2 id="files-title">Files, newest first</h2>
                <div id="files" data-live data-refresh="%s">
                <table>
                <thead><tr><th scope="col">File</th>%s<th scope="col">Source</th><th scope="col">Received</th><th scope="col">State</th>
                <th scope="col">Lines by outcome</th><th scope="col">Duration</th><th scope="col">Reports</th></tr></thead>
                <tbody>
                %s</tbody>
                </table>
                %s
                </div>
                </section>
                """.formatted(FilesApi.PATH, max, Html.text(new UploadTooLargeException(max).getMessage()), tenantChoice(), live,
                several ? "<th scope=\"col\">Tenant</th>" : "", rows,
                files.isEmpty() ? "<p>No files yet.</p>" : "");
        return html(HttpStatus.OK, Html.page("Hash files", body));
    }

    /** With several tenants, the choice of whose inbox the files go to; nothing to choose in a single-tenant service. */
    private String tenantChoice() {
        List<String> tenants = inboxes.choices();
        if (tenants.isEmpty()) {
            return "";
        }
        StringBuilder options = new StringBuilder("<option value=\"\">Choose the tenant</option>");
        tenants.forEach(t -> options.append("<option>").append(Html.text(t)).append("</option>"));
        return "<label for=\"upload-tenant\">For tenant</label>\n<select id=\"upload-tenant\" name=\"tenant\" required>"
                + options + "</select>\n";
    }

    @GetMapping(PATH + "/{id}")
    ResponseEntity<String> file(@PathVariable String id, @RequestParam(required = false) String outcome,
                                @RequestParam(defaultValue = "0") long after) throws IOException {
        Optional<FileView> found = views.find(id);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, Html.page("No such file", "<h1>No such file</h1><p>No file has the id "
                    + Html.text(id) + ". " + Html.link(PATH, "All files") + "</p>"));
        }
        FileView f = found.get();
        String filter = outcomeFilter(outcome);
        List<ResultLine> lines = f.fileNo() == null ? List.of() : views.lines(f.fileNo(), filter, after, LINES_PER_PAGE);
        StringBuilder rows = new StringBuilder();
        for (ResultLine l : lines) {
            String error = l.errorCode() == null ? "" : l.errorCode() + (l.errorName() == null ? "" : " " + l.errorName());
            rows.append("<tr><td>").append(l.line()).append("</td><td>").append(Html.text(l.serialNumber())).append("</td><td>")
                    .append(l.outcome() == null || l.outcome() == Outcome.UPDATING ? OutcomeCounts.PENDING : l.outcome().label())
                    .append("</td><td>").append(Html.text(error)).append("</td><td>").append(Html.text(l.detail())).append("</td></tr>\n");
        }
        String next = lines.size() == LINES_PER_PAGE ? "<p>" + Html.link(PATH + "/" + f.id() + "?after=" + lines.get(lines.size() - 1).line()
                + (outcome == null || outcome.isEmpty() ? "" : "&outcome=" + outcome), "Next " + LINES_PER_PAGE + " lines") + "</p>" : "";
        String body = """
                <p>%s</p>
                <h1>%s</h1>
                <div id="file" data-live data-refresh="%s">
                <dl class="facts">
                %s<dt>Source</dt><dd>%s</dd><dt>Received</dt><dd>%s</dd><dt>State</dt><dd>%s</dd>
                <dt>Duration</dt><dd>%s</dd><dt>Lines by outcome</dt><dd>%s</dd><dt>Reports</dt><dd>%s</dd>
                </dl>
                %s
                </div>
                <h2 id="lines-title">Lines</h2>
                <form method="get" class="filter">
                <label for="outcome">Show</label>
                <select id="outcome" name="outcome">%s</select>
                <button type="submit">Show</button>
                </form>
                <div id="lines" data-live>
                <table aria-labelledby="lines-title">
                <thead><tr><th scope="col">Line</th><th scope="col">Serial number</th><th scope="col">Outcome</th><th scope="col">Error</th>
                <th scope="col">Detail</th></tr></thead>
                <tbody>
                %s</tbody>
                </table>
                %s%s
                </div>
                """.formatted(Html.link(PATH, "All files"), Html.text(f.name()), f.state().inProgress(),
                inboxes.several() ? "<dt>Tenant</dt><dd>" + tenant(f) + "</dd>" : "", source(f),
                Html.time(f.received()), state(f), Html.duration(f.duration(Instant.now())), Html.bar(f.counts()), reports(f),
                f.reason() == null ? "" : "<h2 id=\"reason\">Why</h2><p class=\"reason\">" + Html.text(reasonText(f)) + "</p>",
                options(f, outcome), rows, lines.isEmpty() ? "<p>No lines" + (filter == null ? "" : " with this outcome") + ".</p>" : "", next);
        return html(HttpStatus.OK, Html.page(f.name(), body));
    }

    /** The outcome to filter by, as the ledger names it, or "pending"; null for every line. */
    private static String outcomeFilter(String label) {
        if (label == null || label.isEmpty()) {
            return null;
        }
        if (OutcomeCounts.PENDING.equals(label)) {
            return label;
        }
        return Arrays.stream(Outcome.values()).filter(o -> o.label().equals(label)).map(Outcome::name).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no outcome is called " + label));
    }

    private static String options(FileView f, String selected) {
        return "<option value=\"\">all lines</option>" + f.counts().byLabel().keySet().stream().map(label -> "<option value=\""
                + label + "\"" + (label.equals(selected) ? " selected" : "") + ">" + label + "</option>").collect(Collectors.joining());
    }

    /** The bar, or for a file refused whole, why, in short (the file's page has it all). */
    private static String outcomes(FileView f) {
        if (f.state() != FileState.REFUSED) {
            return Html.bar(f.counts());
        }
        String reason = f.reason() == null ? "" : f.reason();
        return "<span class=\"none\">nothing imported: " + Html.text(reason.length() > REASON_SHORT ? reason.substring(0, REASON_SHORT) + "…" : reason)
                + "</span>";
    }

    /** The file's tenant where several are served; a file dropped straight into autopilot.inbox has none. */
    private static String tenant(FileView f) {
        return Tenant.SINGLE.equals(f.tenant()) ? "<span class=\"none\">none</span>" : Html.text(f.tenant());
    }

    private static String source(FileView f) {
        return f.source().label() + (f.vendor() == null ? "" : " " + Html.text(f.vendor()));
    }

    private static String state(FileView f) {
        return "<span class=\"state " + f.state().label() + "\" title=\"" + f.state().meaning() + "\">" + f.state().label()
                + "</span>" + (f.dryRun() ? " (dry run)" : "");
    }

    private static String reasonText(FileView f) {
        return f.unreadFrom() == null ? f.reason() : "Unreadable from line " + f.unreadFrom() + ": " + f.reason()
                + ". The lines before it were processed.";
    }

    /** Links to the file's results and failed rows, and to why it was refused. */
    private static String reports(FileView f) {
        String api = FilesApi.PATH + "/" + f.id();
        StringBuilder links = new StringBuilder();
        if (f.hasResults()) {
            links.append(Html.link(api + FilesApi.RESULTS, "results"));
            if (f.counts().needingAction() > 0) {
                links.append(" · ").append(Html.link(api + FilesApi.FAILED_ROWS, "failed rows"));
            }
        }
        if (f.reason() != null) {
            links.append(links.length() == 0 ? "" : " · ").append(Html.link(PATH + "/" + f.id() + "#reason", "why refused"));
        }
        return links.toString();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<String> badRequest(IllegalArgumentException e) {
        return html(HttpStatus.BAD_REQUEST, Html.page("Not understood", "<h1>Not understood</h1><p>" + Html.text(e.getMessage())
                + ". " + Html.link(PATH, "All files") + "</p>"));
    }

    private static ResponseEntity<String> html(HttpStatus status, String page) {
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8)).body(page);
    }
}
