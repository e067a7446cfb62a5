/**
 * What the running service shows about itself: health entries for Graph and the vendor servers, metrics and JMX.
 */
package org.autopilotbridge.monitor;
