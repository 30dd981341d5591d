package io.handover.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Text someone else wrote prints on one line, as it is, with nothing hidden in it. */
class PrintableTest {

    @Test
    void visibleTextIsLeftAsItIs() {
        String text = "alice@db-mgr pid 4242: handover switchover --cluster main --to db2 (été, 日本, 🐬)";
        assertThat(Printable.line(text, 200)).isEqualTo(text);
    }

    @Test
    void whatCouldForgeALineOrHideTextIsEscaped() {
        assertThat(Printable.line("a\nb\rc\td\\e", 200)).isEqualTo("a\\nb\\rc\\td\\\\e");
        assertThat(Printable.line("\u001b[31mred\u001b[0m \u0007\u007f\u0085", 200))
                .isEqualTo("\\u001b[31mred\\u001b[0m \\u0007\\u007f\\u0085");
        // bidirectional override, zero-width space, line and paragraph separators, a lone surrogate, a tag character
        assertThat(Printable.line("x\u202Ey\u200Bz\u2028\u2029\uD800!\uDB40\uDC41", 200))
                .isEqualTo("x\\u202ey\\u200bz\\u2028\\u2029\\ud800!\\udb40\\udc41");
    }

    @Test
    void longTextIsCutAndSaysHowMuchWasLeftOut() {
        assertThat(Printable.line("x".repeat(250), 200)).isEqualTo("x".repeat(200) + "... (50 more characters)");
        assertThat(Printable.line("x".repeat(200), 200)).isEqualTo("x".repeat(200));
        assertThat(Printable.line("\n".repeat(150), 200)).isEqualTo("\\n".repeat(100) + "... (50 more characters)");
    }

    /** Whoever may write the lock writes its holder, and lock, the hooks' refusals and the journal print it. */
    @Test
    void aLocksHolderIsPrintable() {
        ClusterLock.Holding holding = new ClusterLock.Holding("mallory@h pid 1: x\n12:00:00.000 INFO forged\u001b[2K" + "y".repeat(300),
                Instant.EPOCH, "s\r1");

        assertThat(holding.holder()).startsWith("mallory@h pid 1: x\\n12:00:00.000 INFO forged\\u001b[2Kyyy")
                .endsWith("... (153 more characters)");
        assertThat(holding.id()).isEqualTo("s\\r1");
        assertThat(new ClusterLock.HeldException(holding).getMessage()).doesNotContainPattern("\\p{Cntrl}");
        assertThat(new ClusterLock.Holding("alice@db-mgr pid 7: handover register --cluster main", null, null))
                .isEqualTo(new ClusterLock.Holding("alice@db-mgr pid 7: handover register --cluster main", null, null))
                .extracting(ClusterLock.Holding::holder).isEqualTo("alice@db-mgr pid 7: handover register --cluster main");
    }
}
