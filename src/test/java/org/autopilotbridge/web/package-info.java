/**
 * Tests of the files page and API: the real service in a browser and over HTTP, uploads written as a careful drop,
 * and the states a file is shown in.
 */
package org.autopilotbridge.web;
