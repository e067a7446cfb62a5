/**
 * What the tests stand on: the Graph stand-in ({@link org.autopilotbridge.testing.GraphStandIn}, one class per
 * concern, and its own tests), the service's folders and hash files, real servers (SFTP, PostgreSQL, a proxy, a
 * webhook receiver), and service JVMs to start, crash and cluster.
 */
package org.autopilotbridge.testing;
