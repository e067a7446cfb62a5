package org.autopilotbridge.preflight;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;

/**
 * The application permissions an access token carries, read from its {@code roles} claim. The token's signature is
 * not checked: Graph does that; this only tells an admin what Entra ID granted, without another call.
 */
final class TokenRoles {

    private TokenRoles() {
    }

    /** The roles (none when the claim is absent), or empty when the token is not a JWT that can be read. */
    static Optional<List<String>> of(String accessToken) {
        try {
            JWTClaimsSet claims = JWTParser.parse(accessToken).getJWTClaimsSet();
            List<String> roles = claims == null ? null : claims.getStringListClaim("roles");
            return claims == null ? Optional.empty() : Optional.of(roles == null ? List.of() : roles);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
