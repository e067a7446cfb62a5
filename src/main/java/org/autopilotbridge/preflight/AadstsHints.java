package org.autopilotbridge.preflight;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do about the AADSTS codes an app registration meets most often when it signs in with client credentials.
 * The code's meaning is in Entra ID's own description, which the token error already carries.
 */
final class AadstsHints {

    private static final Pattern CODE = Pattern.compile("AADSTS(\\d+)");
    private static final String PORTAL = "Entra ID > App registrations > the app (autopilot.client-id)";
    private static final Map<String, String> FIXES = Map.ofEntries(
            Map.entry("7000215", "AUTOPILOT_CLIENT_SECRET is not a secret of this app: copy the secret's Value (not its "
                    + "Secret ID) from " + PORTAL + " > Certificates & secrets, or create a new secret"),
            Map.entry("7000222", "the client secret has expired: create a new one in " + PORTAL
                    + " > Certificates & secrets, set AUTOPILOT_CLIENT_SECRET to it and note its expiry date"),
            Map.entry("700016", "no app with autopilot.client-id exists in this tenant: check autopilot.client-id and "
                    + "autopilot.tenant-id, and that the app is registered or consented in that tenant"),
            Map.entry("90002", "the tenant was not found: check autopilot.tenant-id (its GUID or primary domain) and autopilot.cloud"),
            Map.entry("900023", "autopilot.tenant-id is not a valid tenant id or domain"),
            Map.entry("700027", "the certificate is not registered with the app: upload its public part (.cer) in "
                    + PORTAL + " > Certificates & secrets"),
            Map.entry("700024", "the client assertion's time is off: set this server's clock right (NTP)"),
            Map.entry("7000112", "the app is disabled: enable its enterprise application (service principal) in Entra ID"),
            Map.entry("53003", "Conditional Access blocked the sign-in: exclude this workload identity from the policy or "
                    + "allow this server's address"),
            Map.entry("500011", "Graph is not known in this tenant's cloud: check autopilot.cloud and autopilot.graph-url"),
            Map.entry("1002012", "the token scope was refused: check autopilot.graph-url and autopilot.cloud"));

    private AadstsHints() {
    }

    /** The fix for the AADSTS code in {@code message}, or where to look one up. */
    static String fix(String message) {
        Matcher code = CODE.matcher(message == null ? "" : message);
        if (!code.find()) {
            return "check autopilot.tenant-id, autopilot.client-id, the credential, autopilot.cloud and any proxy "
                    + "(autopilot.proxy-url); the token endpoint must be reachable from this server";
        }
        return FIXES.getOrDefault(code.group(1), "look the code up at https://login.microsoftonline.com/error?code=" + code.group(1));
    }
}
