package org.autopilotbridge.cluster;

/**
 * Work left half done whose lease ran out: by an instance that died, which the living take over on a shared ledger, or
 * by one of this instance's own steps that stopped (a file's reading the ledger failed under).
 * {@link LeaseKeeper} calls every such bean each time it renews this instance's leases. The stage whose work it is
 * implements it, so that this package depends on no stage.
 */
public interface OrphanedWork {

    /** Takes over what was left half done and whose lease ran out; does nothing when there is none. */
    void takeOver();
}
