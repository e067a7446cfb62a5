package org.autopilotbridge.config;

/**
 * Field limits checked before anything is sent. Graph documents no maximum lengths for
 * importedWindowsAutopilotDeviceIdentity, so these are conservative guards of ours: generous for real data,
 * tight enough that a wrong column or a runaway field is refused with a line number instead of by Graph.
 */
public final class DeviceLimits {

    public static final int SERIAL_MAX = 128;
    public static final int PRODUCT_KEY_MAX = 64;
    public static final int GROUP_TAG_MAX = 128;
    public static final int USER_PRINCIPAL_NAME_MAX = 256;
    /** Real hashes are about 4,000 base64 characters; 16,384 leaves room for larger TPM blobs. */
    public static final int HASH_TEXT_MAX = 16_384;
    /** A decoded hash shorter than this is not a hardware hash (a hash is a blob of about 3,000 bytes). */
    public static final int HASH_BYTES_MIN = 64;

    private DeviceLimits() {
    }
}
