package org.autopilotbridge.cluster;

/**
 * Work an instance that died left half done, which the living take over on a shared ledger: {@link LeaseKeeper} calls
 * every such bean each time it renews this instance's leases. The stage whose work it is implements it, so that this
 * package depends on no stage.
 */
public interface OrphanedWork {

    /** Takes over what instances whose leases ran out left half done; does nothing when there is none. */
    void takeOver();
}
