package org.autopilotbridge.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.graph.AutopilotDevices.ProfileRead;
import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.ledger.ProfileFollow;
import org.autopilotbridge.ledger.ProfileLedger;
import org.autopilotbridge.ledger.ProfileLedger.Ended;
import org.autopilotbridge.ledger.ProfileLedger.Later;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.wake.BatchWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Follows imported and updated devices until Intune has assigned their deployment profile, failed to, or
 * {@code autopilot.profile-wait} has passed, reading the registered devices 20 to a JSON $batch call (Graph's beta:
 * v1.0 has no profile properties) below imports and updates in the gate's order. Reads are idempotent: a crash
 * between a read and its record only reads again. The wait between reads starts at autopilot.poll-interval and
 * doubles to at most {@link #LONGEST_PAUSE}, since assignment takes minutes to hours.
 */
@Component("profileFollower")
public class ProfileFollower {

    /** Devices read together: one JSON $batch call's worth. */
    static final int CHUNK = 20;
    /** The longest wait between two reads of one device. */
    static final Duration LONGEST_PAUSE = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(ProfileFollower.class);
    /** One incident for every chunk: during a Graph outage each chunk's read fails for the same reason. */
    private static final String READING = "Reading deployment profiles of registered devices from Graph";

    private final GraphProperties graphSettings;
    private final ImportProperties imports;
    private final ProfileLedger profiles;
    private final TenantGraphs graphs;
    private final Incidents incidents;
    private final BatchWorkers workers;

    ProfileFollower(GraphProperties graphSettings, ImportProperties imports, ProfileLedger profiles, TenantGraphs graphs,
                    Incidents incidents, CamelContext camel) {
        this.graphSettings = graphSettings;
        this.imports = imports;
        this.profiles = profiles;
        this.graphs = graphs;
        this.incidents = incidents;
        this.workers = new BatchWorkers(camel, this, "graph-profile", graphSettings.getGraphConcurrency(),
                graphs.names().size());
    }

    /** What a round of reads leaves for the profile route: when the next read is due (null: no device is followed). */
    public record Round(int chunks, Instant nextDue) {
    }

    /** Reads every followed device that is due, several chunks at once, until none is left or the service stops. */
    public Round followDue() {
        int chunks = workers.drain(busy -> graphs.claimInTurn(busy,
                        tenant -> Optional.of(profiles.claimNext(CHUNK, tenant)).filter(c -> !c.isEmpty())),
                chunk -> chunk.get(0).tenant(), this::read,
                profiles::release);
        return new Round(chunks, profiles.nextDue().orElse(null));
    }

    private void read(List<ProfileFollow> chunk) {
        List<Later> later = new ArrayList<>();
        List<Ended> ended = new ArrayList<>();
        Instant now = Instant.now();
        List<ProfileRead> reads;
        try {
            reads = graphs.of(chunk.get(0).tenant()).devices().readProfiles(chunk.stream().map(ProfileFollow::registeredId).toList());
        } catch (GraphException e) {
            incidents.failing(LOG, READING, e.reason());
            chunk.forEach(f -> failed(f, e, now, later, ended));
            profiles.record(later, ended);
            return;
        }
        incidents.working(LOG, READING);
        for (int i = 0; i < chunk.size(); i++) {
            ProfileFollow follow = chunk.get(i);
            ProfileRead read = reads.get(i);
            if (read.failure() != null) {
                failed(follow, read.failure(), now, later, ended);
                continue;
            }
            ProfileVerdict.Ended end = ProfileVerdict.of(read.assignment());
            String seen = read.assignment().deploymentProfileAssignmentStatus();
            if (end == null && !now.isBefore(follow.deadline())) {
                end = ProfileVerdict.waitEnded(seen, imports.getProfileWait(), null);
            }
            if (end == null) {
                later.add(new Later(follow, nextRead(follow, now), seen));
            } else {
                ended.add(ended(follow, end));
            }
        }
        profiles.record(later, ended);
    }

    /**
     * A read that failed: a device gone (404) is over, anything else is read again while the wait lasts. (An outage
     * ends no wait here: reads are waited out inside the $batch until Graph serves them, see JsonBatch, and the answer
     * that comes then decides.)
     */
    private void failed(ProfileFollow follow, GraphException failure, Instant now, List<Later> later, List<Ended> ended) {
        if (failure.status() == 404) {
            ended.add(ended(follow, ProfileVerdict.deleted()));
        } else if (now.isBefore(follow.deadline())) {
            later.add(new Later(follow, nextRead(follow, now), null));
        } else {
            ended.add(ended(follow, ProfileVerdict.waitEnded(follow.seenStatus(), imports.getProfileWait(), failure)));
        }
    }

    private static Ended ended(ProfileFollow follow, ProfileVerdict.Ended end) {
        if (end.detail() != null) {
            LOG.info("Deployment profile of {} ({}): {}", follow.serialNumber(), end.status().label(), end.detail());
        }
        return new Ended(follow, end.status(), end.profileName(), end.detail());
    }

    /** poll-interval doubled with each read so far, at most LONGEST_PAUSE, and never after the wait ends. */
    private Instant nextRead(ProfileFollow follow, Instant now) {
        Duration pause = graphSettings.getPollInterval().multipliedBy(1L << Math.min(follow.reads(), 10));
        Instant next = now.plus(pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause);
        return next.isAfter(follow.deadline()) ? follow.deadline() : next;
    }
}
