package org.autopilotbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.ObjectError;

/** autopilot.tenants as start-up checks it: each refusal names the key to fix, and one multi-tenant app is set once. */
class TenantPropertiesTest {

    private static final String CONTOSO = "autopilot.tenants.contoso.";

    @Test
    void refusesATenantIdBesideTenantsNamingBothKeys() {
        assertThat(errors(Map.of("autopilot.tenant-id", "contoso.onmicrosoft.com", CONTOSO + "tenant-id", "contoso.onmicrosoft.com",
                "autopilot.client-id", "app", "autopilot.client-secret", "s3cret-aa41")))
                .containsExactly("set either autopilot.tenant-id (one tenant) or autopilot.tenants (several), not both");
    }

    @Test
    void refusesATenantNameThatCannotNameAFolder() {
        assertThat(errors(Map.of("autopilot.tenants.[contoso_eu].tenant-id", "contoso.onmicrosoft.com", "autopilot.dry-run", "true")))
                .containsExactly("autopilot.tenants.contoso_eu: a tenant's name is 1 to 40 letters, digits and '-', as it names its folders");
    }

    @Test
    void refusesTheSingleTenantsNameAndTwoEntriesForOneTenant() {
        assertThat(errors(Map.of("autopilot.tenants.default.tenant-id", "contoso.onmicrosoft.com", "autopilot.dry-run", "true")))
                .containsExactly("autopilot.tenants.default: 'default' names the tenant of autopilot.tenant-id and the files dropped "
                        + "straight into autopilot.inbox; give this tenant another name");
        // As AUTOPILOT_TENANTS_CONTOSOEU_TENANTID would add beside autopilot.tenants.contoso-eu.
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("autopilot.tenants.contoso-eu.tenant-id", "Contoso.onmicrosoft.com");
        twice.put("autopilot.tenants.contosoeu.tenant-id", "contoso.onmicrosoft.com");
        twice.put("autopilot.dry-run", "true");
        assertThat(errors(twice)).containsExactly("autopilot.tenants.contosoeu and autopilot.tenants.contoso-eu name the same tenant-id: one "
                        + "customer tenant is one entry (an environment variable with a misspelt name makes a second one)");
    }

    @Test
    void refusesATenantWithoutItsTenantId() {
        assertThat(errors(Map.of(CONTOSO + "group-tag", "Kiosk", "autopilot.dry-run", "true")))
                .containsExactly(CONTOSO + "tenant-id is required");
    }

    @Test
    void refusesATenantWithNoCredentialOfItsOwnOrAtTheTopLevelAndOneWithTwo() {
        assertThat(errors(Map.of(CONTOSO + "tenant-id", "contoso.onmicrosoft.com", "autopilot.client-id", "app")))
                .containsExactly("autopilot.tenants.contoso has no credential of its own, and exactly one of autopilot.client-secret "
                        + "or autopilot.client-certificate is needed for it");
        assertThat(errors(Map.of(CONTOSO + "tenant-id", "contoso.onmicrosoft.com", "autopilot.client-id", "app",
                CONTOSO + "client-secret", "s3cret-aa41", CONTOSO + "client-certificate", "contoso.pfx")))
                .containsExactly("set either " + CONTOSO + "client-secret or " + CONTOSO + "client-certificate, not both");
        assertThat(errors(Map.of(CONTOSO + "tenant-id", "contoso.onmicrosoft.com", CONTOSO + "client-secret", "s3cret-aa41")))
                .containsExactly(CONTOSO + "client-id or autopilot.client-id is required to call Graph");
    }

    @Test
    void takesTheTopLevelAppAndSecretForEveryTenantThatSetsNone() {
        Map<String, String> values = new LinkedHashMap<>(Map.of("autopilot.client-id", "app", "autopilot.client-secret", "s3cret-aa41",
                CONTOSO + "tenant-id", "contoso.onmicrosoft.com", "autopilot.tenants.fabrikam.tenant-id", "fabrikam.onmicrosoft.com"));

        assertThat(errors(values)).isEmpty();
        assertThat(bind(values).isDryRunEffective()).as("tenants are configured, so Graph is called").isFalse();
    }

    private static List<String> errors(Map<String, String> values) {
        TenantProperties properties = bind(values);
        Errors errors = new BeanPropertyBindingResult(properties, "autopilot");
        properties.validate(properties, errors);
        return errors.getAllErrors().stream().map(ObjectError::getDefaultMessage).toList();
    }

    private static TenantProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("autopilot", TenantProperties.class);
    }
}
