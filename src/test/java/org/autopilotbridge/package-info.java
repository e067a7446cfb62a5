/**
 * Tests of the whole service: the real routes, ledger and beans started with Spring Boot (or in JVMs of their own)
 * against the Graph stand-in, real folders and real servers, one concern a class; and the configuration reference
 * the build checks (ConfigurationReferenceTest).
 */
package org.autopilotbridge;
