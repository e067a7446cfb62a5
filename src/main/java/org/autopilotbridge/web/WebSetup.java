package org.autopilotbridge.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.servlet.MultipartConfigElement;

import org.autopilotbridge.config.FolderProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/** Uploads up to autopilot.web.max-upload, received into the data folder rather than the system's temporary folder. */
@Configuration(proxyBeanMethods = false)
class WebSetup {

    /** Room for the multipart envelope around the file: a request larger than the file may be plus this is refused unread. */
    private static final long ENVELOPE = 64 * 1024;

    /**
     * The servlet container keeps a large upload on disk while the request is read: in {@code <data-dir>/uploads}, which
     * the service owns, not /tmp, which may be a small memory file system. A request that says it is larger is refused
     * before it is read.
     */
    @Bean
    MultipartConfigElement multipartConfig(WebProperties web, FolderProperties properties) throws IOException {
        Path received = Files.createDirectories(properties.getDataDir().resolve("uploads").toAbsolutePath());
        long max = web.getMaxUpload().toBytes();
        return new MultipartConfigElement(received.toString(), max, max + ENVELOPE, 1024 * 1024);
    }

    /** Refused while the request is read, before any controller sees it: the one answer for it is here. */
    @RestControllerAdvice
    static class UploadLimit {

        private final WebProperties web;

        UploadLimit(WebProperties web) {
            this.web = web;
        }

        @ExceptionHandler(MaxUploadSizeExceededException.class)
        ResponseEntity<Map<String, String>> tooLarge(MaxUploadSizeExceededException e) {
            return FilesApi.error(HttpStatus.PAYLOAD_TOO_LARGE, new UploadTooLargeException(web.getMaxUpload().toBytes()).getMessage());
        }
    }
}
