package org.autopilotbridge.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.web.util.HtmlUtils;

/** The pieces the files' pages are made of; every text from outside (names, details) goes through {@link #text}. */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Html() {
    }

    static String text(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s, "UTF-8");
    }

    /** The page around {@code body}: the stylesheet and script are the service's own, nothing is fetched elsewhere. */
    static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · autopilot-bridge</title>
                <link rel="stylesheet" href="/web/files.css">
                <script src="/web/files.js" defer></script>
                </head>
                <body>
                <header><p class="service"><a href="%s">autopilot-bridge</a> · <a href="/actuator/hawtio/">console</a></p></header>
                <main>
                %s
                </main>
                </body>
                </html>
                """.formatted(text(title), FilesPage.PATH, body);
    }

    static String time(Instant instant) {
        return instant == null ? "" : "<time datetime=\"" + instant + "\">" + TIME.format(instant) + "</time>";
    }

    /** "45 s", "3 min 05 s", "2 h 03 min". */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return "%d min %02d s".formatted(s / 60, s % 60);
        }
        return "%d h %02d min".formatted(s / 3600, s % 3600 / 60);
    }

    /**
     * The bar of a file's lines by outcome. Readable without colour: the counts are written out beside it, and lines
     * that need action are hatched; to a screen reader the bar is one image named by the same words.
     */
    static String bar(OutcomeCounts counts) {
        if (counts.total() == 0) {
            return "<span class=\"none\">no lines yet</span>";
        }
        StringBuilder bar = new StringBuilder("<div class=\"bar\" role=\"img\" aria-label=\"" + text(counts.summary()) + "\">");
        for (OutcomeCounts.Segment s : counts.segments()) {
            bar.append("<span class=\"seg ").append(s.needsAction() ? "action" : OutcomeCounts.PENDING.equals(s.label()) ? "pending" : "ok")
                    .append("\" style=\"width:").append(String.format(Locale.ROOT, "%.2f", s.percent())).append("%\"></span>");
        }
        return bar.append("</div><div class=\"legend\">").append(text(counts.summary())).append("</div>").toString();
    }

    static String link(String href, String label) {
        return "<a href=\"" + text(href) + "\">" + text(label) + "</a>";
    }
}
