/**
 * The web page and HTTP API for files: the list of files received and how each went, one file's lines, and the
 * upload, which writes a file into the inbox exactly as a careful drop would. Behind the console's login
 * ({@code ops/ConsoleSecurity}).
 */
package org.autopilotbridge.web;
