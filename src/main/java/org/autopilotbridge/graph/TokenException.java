package org.autopilotbridge.graph;

/** No access token could be had; the message carries the AADSTS code and description, never a credential. */
public class TokenException extends GraphException {

    public TokenException(int status, String code, String message) {
        super(status, code, message, null, null, false);
    }

    /** A refused credential is not Graph refusing the devices: splitting the batch would not help. */
    @Override
    public boolean refused() {
        return false;
    }

    @Override
    public String describe() {
        return "token request failed" + (status() == 0 ? "" : " with " + status()) + (code() == null ? "" : " " + code())
                + ": " + getMessage();
    }
}
