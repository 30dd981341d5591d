package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What Consul 1.8.7 answers a {@code PUT /v1/txn}: {@code {"Results": [...], "Errors": null}} when it
 * applied every operation (200; {@code "Results": []} when none returns an entry, as deletes do), and
 * {@code {"Results": null, "Errors": [{"OpIndex": 0, "What": "..."}]}} when it applied none (409).
 */
final class TxnAnswer {

    /** One refused operation: its index in the transaction and Consul's reason. */
    record Error(int opIndex, String what) {}

    private TxnAnswer() {}

    /** Checks that a 200 answer is a transaction's results. */
    static Void applied(JsonNode answer) throws Json.Unreadable {
        Json.object(answer, "a transaction's results");
        Json.array(answer.path("Results"), "the transaction's Results array");
        JsonNode errors = answer.path("Errors");
        if (!errors.isNull() && !errors.isMissingNode() && !errors.isEmpty()) {
            throw new Json.Unreadable("Errors in an answer that says the transaction was applied");
        }
        return null;
    }

    /** The errors of a 409 answer to a transaction of {@code operations} operations: at least one, each naming one of them. */
    static List<Error> errors(JsonNode answer, int operations) throws Json.Unreadable {
        Json.object(answer, "a transaction's errors");
        List<Error> errors = new ArrayList<>();
        for (JsonNode error : Json.array(answer.path("Errors"), "the transaction's Errors array")) {
            String what = "error " + errors.size();
            Json.object(error, what);
            int index = Json.integer(error, "OpIndex", what);
            if (index < 0 || index >= operations) {
                throw new Json.Unreadable(what + " names operation " + index + " of a transaction of " + operations);
            }
            errors.add(new Error(index, Json.string(error, "What", what)));
        }
        if (errors.isEmpty()) {
            throw new Json.Unreadable("no Errors in an answer that says the transaction was rolled back");
        }
        return errors;
    }
}
