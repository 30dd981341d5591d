package io.handover.api;

/**
 * Text that someone else wrote (a lock's holder, which any process with write access to the lock
 * may set; the body of a server's answer), made safe to print on one line of a terminal, of MHA's
 * log or of the journal: a newline, carriage return or ANSI escape in it could otherwise forge
 * lines or rewrite what the reader sees.
 */
public final class Printable {

    private Printable() {}

    /**
     * {@code text} with every character that is not plainly visible escaped as in Java source
     * ({@code \n}, {@code \r}, {@code \t}, {@code \\}, else {@code \u001b}): control characters,
     * Unicode format characters (bidirectional overrides, zero-width characters), line and paragraph
     * separators, lone surrogates. Longer than {@code max} characters, it is cut and says how much was left out.
     */
    public static String line(String text, int max) {
        StringBuilder line = new StringBuilder();
        int i = 0;
        while (i < text.length() && line.length() < max) {
            int c = text.codePointAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (hidden(c)) {
                        for (char unit : Character.toChars(c)) {
                            line.append(String.format("\\u%04x", (int) unit));
                        }
                    } else {
                        line.appendCodePoint(c);
                    }
                }
            }
            i += Character.charCount(c);
        }
        return i < text.length() ? line + "... (" + (text.length() - i) + " more characters)" : line.toString();
    }

    private static boolean hidden(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }
}
