package org.autopilotbridge.graph;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A Graph collection answer: the import action's result, or one page of a list. */
@JsonIgnoreProperties(ignoreUnknown = true)
record GraphPage<T>(List<T> value, @JsonProperty("@odata.nextLink") String nextLink) {
}
