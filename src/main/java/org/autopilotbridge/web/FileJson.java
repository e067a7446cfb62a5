package org.autopilotbridge.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file as GET /api/files answers it (docs/web.md): its id and ledger number, name, source (upload, inbox or vendor,
 * with the vendor's name), when it was received and finished, its state, its lines by outcome, how long it took in
 * seconds (so far, while in progress), why it was refused, the tenant it is for ("default" in a single-tenant service),
 * and the links to its page and reports. Times are ISO 8601
 * in UTC, whatever the service's JSON settings do with dates elsewhere.
 */
record FileJson(String id, Long fileNo, String name, String source, String vendor, String received, String finished,
                String state, boolean inProgress, boolean dryRun, long lines, Map<String, Long> counts, long durationSeconds,
                String reason, Long unreadFrom, String tenant, Map<String, String> links) {

    static FileJson of(FileView file, Instant now) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", FilesApi.PATH + "/" + file.id());
        links.put("page", FilesPage.PATH + "/" + file.id());
        if (file.hasResults()) {
            links.put("results", FilesApi.PATH + "/" + file.id() + FilesApi.RESULTS);
            if (file.counts().needingAction() > 0) {
                links.put("failedRows", FilesApi.PATH + "/" + file.id() + FilesApi.FAILED_ROWS);
            }
        }
        return new FileJson(file.id(), file.fileNo(), file.name(), file.source().label(), file.vendor(), iso(file.received()),
                iso(file.finished()), file.state().label(), file.state().inProgress(), file.dryRun(), file.counts().total(),
                file.counts().byLabel(), file.duration(now).toSeconds(), file.reason(), file.unreadFrom(), file.tenant(), links);
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
