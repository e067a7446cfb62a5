-- A completed import names the registered Autopilot device it made (state.deviceRegistrationId), and an update names
-- the one it changed: the results file shows it, and later work can find the device by it.
ALTER TABLE device ADD COLUMN registration_id VARCHAR(64);
