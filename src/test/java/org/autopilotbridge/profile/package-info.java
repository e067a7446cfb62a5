/**
 * Tests of the profile stage: what a registered device's deployment profile assignment means for its line.
 */
package org.autopilotbridge.profile;
