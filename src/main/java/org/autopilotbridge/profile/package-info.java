/**
 * The profile stage (autopilot.profile-wait): following each imported or updated device until Intune has assigned its
 * deployment profile, failed to, or the wait ends, and the words each line ends with.
 */
package org.autopilotbridge.profile;
