package org.autopilotbridge.ledger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.autopilotbridge.config.ClusterProperties;
import org.springframework.stereotype.Component;

/**
 * This instance as the ledger knows it: the name its leases carry ({@code autopilot.cluster.instance-id}, else the
 * host name and process id) and how long a lease lasts without renewal ({@code autopilot.cluster.lease}).
 */
@Component
public class ThisInstance {

    private final String id;
    private final String host;
    private final Duration lease;
    /** The batches and files this instance works on now: only their leases are renewed. */
    private final Set<Long> batches = ConcurrentHashMap.newKeySet();
    private final Set<Long> files = ConcurrentHashMap.newKeySet();
    private final Set<Long> updates = ConcurrentHashMap.newKeySet();
    private final Set<Long> follows = ConcurrentHashMap.newKeySet();

    public ThisInstance(ClusterProperties properties) {
        this.host = hostName();
        String configured = properties.getInstanceId();
        this.id = configured == null || configured.isBlank() ? host + "-" + ProcessHandle.current().pid() : configured;
        this.lease = properties.getLease();
    }

    public String id() {
        return id;
    }

    String host() {
        return host;
    }

    public Duration lease() {
        return lease;
    }

    /**
     * A lease is renewed only while this instance works on what it holds: a lease whose work failed in a way that
     * could not give it back (the ledger was unreachable) runs out, and the work is taken up again.
     */
    void working(long batchId) {
        batches.add(batchId);
    }

    void done(long batchId) {
        batches.remove(batchId);
    }

    void workingOnFile(long fileId) {
        files.add(fileId);
    }

    void doneWithFile(long fileId) {
        files.remove(fileId);
    }

    void workingOnUpdate(long updateId) {
        updates.add(updateId);
    }

    void doneWithUpdate(long updateId) {
        updates.remove(updateId);
    }

    void workingOnFollow(long followId) {
        follows.add(followId);
    }

    void doneWithFollow(long followId) {
        follows.remove(followId);
    }

    List<Long> followsWorkedOn() {
        return List.copyOf(follows);
    }

    List<Long> updatesWorkedOn() {
        return List.copyOf(updates);
    }

    List<Long> batchesWorkedOn() {
        return List.copyOf(batches);
    }

    List<Long> filesWorkedOn() {
        return List.copyOf(files);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
