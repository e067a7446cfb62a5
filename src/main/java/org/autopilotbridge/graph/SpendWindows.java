package org.autopilotbridge.graph;

/** Each tenant's {@link SpendWindow}: Graph throttles per app and tenant, so no tenant spends another's budget. */
@FunctionalInterface
public interface SpendWindows {

    SpendWindow of(String tenant);
}
