-- An upload is for one tenant's inbox (autopilot.tenants): it is linked to the file that inbox made of it, so that
-- two tenants' uploads of the same name and content are never taken for each other's. Earlier ones were the single
-- tenant's.
ALTER TABLE web_upload ADD COLUMN tenant VARCHAR(40) DEFAULT 'default' NOT NULL;
