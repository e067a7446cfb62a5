package org.autopilotbridge.cluster;

import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.ledger.ThisInstance;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel's clustered means for several instances, which a single instance uses alike: the inbox's read lock in the
 * ledger, so that exactly one instance takes a dropped file, and a lock file per vendor in the shared
 * {@code autopilot.data-dir}, so that each vendor's server is polled by one instance at a time ({@code master:} in
 * routes/15-vendors.camel.yaml). Both lapse when their instance dies: the read lock when it stops renewing it (after
 * {@code autopilot.cluster.lease}), the vendor's lock with the process.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterSetup {

    @Bean
    InboxReadLock inboxReadLock(DataSource ledger, CamelContext camel, ThisInstance instance) {
        InboxReadLock locks = new InboxReadLock(ledger, "inbox", camel);
        locks.setLockMaxAgeMillis(instance.lease().toMillis());
        locks.setLockKeepAliveIntervalMillis(Math.max(1000, instance.lease().toMillis() / 3));
        return locks;
    }

    /** The cluster service behind master:, started with Camel. */
    @Bean
    CamelContextConfiguration vendorLocks(FolderProperties properties, ThisInstance instance) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                FileLockClusterService locks = new FileLockClusterService();
                locks.setId(instance.id());
                locks.setRoot(properties.getDataDir().resolve("cluster").toAbsolutePath().toString());
                locks.setAcquireLockDelay(1, TimeUnit.SECONDS);
                locks.setAcquireLockInterval(Math.max(1, instance.lease().toSeconds() / 3), TimeUnit.SECONDS);
                try {
                    camel.addService(locks);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the vendors' cluster service", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing to do once started
            }
        };
    }
}
