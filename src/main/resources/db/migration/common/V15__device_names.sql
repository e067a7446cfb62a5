-- A line's Device Name (issue 24): the name its registered device is given with updateDeviceProperties displayName,
-- validated as a Windows computer name (at most 15 characters) before it is recorded. NULL: the line names none.
ALTER TABLE device ADD COLUMN device_name VARCHAR(15);

-- The update carries the name it sends and the name the device had when found, as it does the group tag and user.
-- A device named after its own import is an update of kind IMPORTED: the line keeps outcome imported once it is named.
ALTER TABLE device_update ADD COLUMN display_name VARCHAR(15);
ALTER TABLE device_update ADD COLUMN found_display_name VARCHAR(256);
