package org.autopilotbridge.graph;

import java.util.List;

import org.apache.hc.core5.http.NameValuePair;

/** How this app proves who it is at the token endpoint: a client secret or a certificate-signed assertion. */
interface ClientCredential {

    /** The form fields that carry the credential in a client-credentials token request to {@code tokenUrl}. */
    List<NameValuePair> formFields(String tokenUrl);
}
