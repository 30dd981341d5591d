package io.handover.awsroute;

import java.util.regex.Pattern;

/**
 * Removes anything that looks like an AWS credential from text that reaches a message: access key
 * ids ({@code AKIA...}, {@code ASIA...}), and the values after {@code Credential=}, {@code Signature=},
 * secret-key and session-token names. EC2's own messages carry none; a proxy, a misbehaving
 * endpoint or an SDK message echoing a request might.
 */
final class Redaction {

    private static final Pattern KEY_ID = Pattern.compile("\\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{12,}\\b");
    private static final Pattern NAMED = Pattern.compile(
            "(?i)(credential|signature|x-amz-security-token|security[_-]?token|session[_-]?token|secret[_-]?access[_-]?key"
                    + "|aws_secret_access_key|aws_session_token|secretkey|sessiontoken)(\"?\\s*[=:]\\s*\"?)[^\\s,;\"&<]+");
    static final String REDACTED = "[REDACTED]";

    private Redaction() {}

    static String apply(String text) {
        if (text == null) {
            return null;
        }
        String result = KEY_ID.matcher(text).replaceAll(REDACTED);
        return NAMED.matcher(result).replaceAll("$1$2" + java.util.regex.Matcher.quoteReplacement(REDACTED));
    }
}
