package org.autopilotbridge.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

import org.junit.jupiter.api.Test;

/** The roles claim of an access token, read without a call; a token that is no readable JWT is said as such. */
class TokenRolesTest {

    @Test
    void readsTheRolesClaim() {
        String token = new PlainJWT(new JWTClaimsSet.Builder().claim("roles", List.of("A.Read.All", "B.ReadWrite.All")).build()).serialize();

        assertThat(TokenRoles.of(token)).contains(List.of("A.Read.All", "B.ReadWrite.All"));
    }

    @Test
    void aTokenWithoutTheClaimCarriesNoRole() {
        String token = new PlainJWT(new JWTClaimsSet.Builder().subject("app").build()).serialize();

        assertThat(TokenRoles.of(token)).contains(List.of());
    }

    @Test
    void aTokenThatIsNotAJwtCannotBeRead() {
        assertThat(TokenRoles.of("EwBwA8l6BAAU-opaque-token")).isEmpty();
        assertThat(TokenRoles.of("eyJ0eXAiOiJKV1Qi.not-base64url-json.x")).isEmpty();
    }
}
