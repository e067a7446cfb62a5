package org.autopilotbridge.notify;

/**
 * Text for Slack and Teams that stays text: Slack reads {@code <!channel>}, {@code <@U123>} and {@code <url|label>}
 * as mentions and links and wants {@code &}, {@code <}, {@code >} as entities; Teams reads Markdown, where
 * {@code [label](url)} is a link and {@code ![x](url)} an image that is fetched. A file name or a CSV field can
 * carry any of these.
 */
final class ChatMarkup {

    private ChatMarkup() {
    }

    static String inert(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '[', ']' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
