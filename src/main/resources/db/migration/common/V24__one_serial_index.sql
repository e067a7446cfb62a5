-- A line repeating a serial number of an earlier line of its file is found through device_tenant_serial, as a device
-- registered from an earlier file is: every device row written (twice: recorded, then final) updates one index fewer.
DROP INDEX device_serial;
