package org.autopilotbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.autopilotbridge.ops.SafeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The HTTP API for files (docs/web.md): upload, list, one file, and its reports. */
@RestController
@RequestMapping(FilesApi.PATH)
class FilesApi {

    static final String PATH = "/api/files";
    static final String RESULTS = "/results.csv";
    static final String FAILED_ROWS = "/failed.csv";
    static final int LIMIT_MAX = 1000;
    private static final MediaType CSV = new MediaType("text", "csv");
    private static final Logger LOG = LoggerFactory.getLogger(FilesApi.class);

    private final UploadInboxes inboxes;
    private final Uploads uploads;
    private final FileViews views;

    FilesApi(UploadInboxes inboxes, Uploads uploads, FileViews views) {
        this.inboxes = inboxes;
        this.uploads = uploads;
        this.views = views;
    }

    /**
     * Puts the file into the inbox, durably, and answers 202 with the upload's id: from here on the inbox reads it as
     * any dropped file. A file written to the inbox but not recorded as an upload (a crash in between) is read as a
     * dropped file, and was never acknowledged. With several tenants the form field "tenant" names whose inbox.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> upload(@RequestParam("file") List<MultipartFile> parts,
                                               @RequestParam(name = "tenant", required = false) String tenant) throws IOException {
        if (parts.size() != 1) {
            throw new IllegalArgumentException("Send one file per request, in the form field \"file\".");
        }
        UploadWriter writer = inboxes.into(tenant);
        MultipartFile part = parts.get(0);
        String name = baseName(part.getOriginalFilename());
        long newestBefore = uploads.newestFile();
        UploadWriter.Written written;
        try (InputStream content = part.getInputStream()) {
            written = writer.write(name, content);
        }
        String id = UUID.randomUUID().toString();
        uploads.record(id, written, newestBefore, inboxes.tenantOf(tenant));
        // The tenant is one of the configured names by now: the writer was found by it.
        LOG.info("Upload {}: {} ({} bytes) is in the inbox{} as {}", id, SafeNames.shown(name), written.size(),
                tenant == null || tenant.isBlank() ? "" : " of " + tenant, SafeNames.shown(written.inboxName()));
        return ResponseEntity.accepted().location(URI.create(PATH + "/" + id))
                .body(Map.of("id", id, "name", written.inboxName(), "size", written.size()));
    }

    @GetMapping
    List<FileJson> list(@RequestParam(defaultValue = "100") int limit) {
        Instant now = Instant.now();
        return views.newest(Math.max(1, Math.min(limit, LIMIT_MAX))).stream().map(f -> FileJson.of(f, now)).toList();
    }

    @GetMapping("/{id}")
    ResponseEntity<FileJson> file(@PathVariable String id) {
        return ResponseEntity.of(views.find(id).map(f -> FileJson.of(f, Instant.now())));
    }

    @GetMapping("/{id}" + RESULTS)
    ResponseEntity<Resource> results(@PathVariable String id) throws IOException {
        Optional<FileView> file = views.find(id);
        return download(file.isPresent() ? views.results(file.get()) : Optional.empty(), file, "its results");
    }

    @GetMapping("/{id}" + FAILED_ROWS)
    ResponseEntity<Resource> failedRows(@PathVariable String id) throws IOException {
        Optional<FileView> file = views.find(id);
        return download(file.isPresent() ? views.failedRows(file.get()) : Optional.empty(), file, "failed rows");
    }

    private static ResponseEntity<Resource> download(Optional<Path> path, Optional<FileView> file, String what) {
        if (file.isEmpty()) {
            throw new NotFoundException("No file has this id.");
        }
        if (path.isEmpty()) {
            throw new NotFoundException(file.get().name() + " has no " + what + " (it is " + file.get().state().label() + ").");
        }
        if (!Files.isRegularFile(path.get())) {
            throw new NotFoundException(path.get().getFileName() + " is no longer where the service wrote it.");
        }
        return ResponseEntity.ok().contentType(CSV).header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(path.get().getFileName().toString(), StandardCharsets.UTF_8).build().toString()).body(new FileSystemResource(path.get()));
    }

    /** Only the name: a browser may send a whole Windows path. */
    private static String baseName(String original) {
        String name = original == null ? "" : original;
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(UploadTooLargeException.class)
    ResponseEntity<Map<String, String>> tooLarge(UploadTooLargeException e) {
        return error(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
    }

    static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
    }

    /** A file, or a report of it, that is not there; answered 404 with the reason. */
    static class NotFoundException extends RuntimeException {
        NotFoundException(String message) {
            super(message);
        }
    }
}
