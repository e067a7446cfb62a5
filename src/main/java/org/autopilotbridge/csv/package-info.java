/**
 * Reading hardware-hash files as text: encodings, header names, records and the CSV-injection guard. It depends on
 * no other package of the service, so a file's bytes alone decide what is read.
 */
package org.autopilotbridge.csv;
