package org.autopilotbridge.ingest;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.stereotype.Component;

/**
 * The vendor files fetched so far, in the ledger (camel-sql's JDBC repository, in the table V7__cluster made for
 * Camel): routes/15-vendors.camel.yaml skips a file seen before with the same vendor, size, time and name. Moving fetched
 * files away is what normally keeps them from being fetched again; this is what keeps a folder where they cannot be
 * moved or deleted from sending every file again on every poll.
 */
@Component("fetchedVendorFiles")
public class FetchedVendorFiles extends JdbcMessageIdRepository {

    FetchedVendorFiles(DataSource ledger) {
        super(ledger, "vendor-files");
        // Flyway owns the ledger's tables.
        setCreateTableIfNotExists(false);
    }
}
