package org.autopilotbridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

import org.autopilotbridge.config.FolderProperties;

/**
 * The configuration reference as the build knows it: every {@code autopilot.*} key with its type, default and the
 * Javadoc of its field, read from the configuration metadata, and the keys config/application.yml sets. Keys inside a
 * list or map of objects ({@code autopilot.vendors[N].*}, {@code autopilot.tenants.<name>.*}) are not in the metadata,
 * so their names, types and defaults come from the element class and their descriptions from its source.
 */
final class ConfigurationReference {

    static final Path YAML = Path.of("config/application.yml");
    private static final Path SOURCES = Path.of("src/main/java");
    /** Stands for the key of a map's entry, e.g. a tenant's name in autopilot.tenants.<name>.tenant-id. */
    private static final String MAP_KEY = "<name>";

    /** One documented key. */
    record Key(String name, String type, String defaultValue, String description) { }

    private ConfigurationReference() {
    }

    /** The markdown table of every key, sorted by name, in the spelling config/application.yml uses. */
    static String table() throws IOException {
        Map<String, String> yaml = yamlKeys();
        StringBuilder out = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Key key : keys()) {
            String name = yaml.keySet().stream().filter(spelling -> sameKey(spelling, key.name())).findFirst().orElse(key.name());
            out.append("| `").append(name).append("` | ").append(key.type()).append(" | ")
                    .append(key.defaultValue().equals("empty") ? "empty" : "`" + key.defaultValue() + "`")
                    .append(" | ").append(markdown(key.description())).append(" |\n");
        }
        return out.toString();
    }

    static Optional<Key> find(String name) {
        return keys().stream().filter(key -> sameKey(name, key.name())).findFirst();
    }

    /**
     * The same key to Spring's relaxed binding (writes-per-20s is writes-per20s), any list index standing for [N] and
     * any map key for {@code <name>}.
     */
    private static boolean sameKey(String a, String b) {
        if (a.contains(MAP_KEY) || b.contains(MAP_KEY)) {
            String pattern = a.contains(MAP_KEY) ? a : b;
            String other = pattern == a ? b : a;
            return other.matches(Pattern.quote(pattern).replace(MAP_KEY, "\\E[^.]+\\Q"));
        }
        return ConfigurationPropertyName.of(a.replaceAll("\\[\\d+]", "[N]"))
                .equals(ConfigurationPropertyName.of(b.replaceAll("\\[\\d+]", "[N]")));
    }

    static List<Key> keys() {
        JsonNode metadata;
        try {
            metadata = new ObjectMapper().readTree(metadataFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Key> keys = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            if (!name.startsWith("autopilot.")) {
                continue;
            }
            String type = property.path("type").asText();
            keys.add(new Key(name, typeName(type), text(property.get("defaultValue")), property.path("description").asText("")));
            Matcher list = Pattern.compile("java\\.util\\.List<(org\\.autopilotbridge\\.[\\w.$]+)>").matcher(type);
            if (list.matches()) {
                keys.addAll(elementKeys(name + "[N]", load(list.group(1))));
            }
            Matcher map = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,(org\\.autopilotbridge\\.[\\w.$]+)>").matcher(type);
            if (map.matches()) {
                keys.addAll(elementKeys(name + "." + MAP_KEY, load(map.group(1))));
            }
        }
        keys.sort((a, b) -> a.name().compareTo(b.name()));
        return keys;
    }

    /** The keys of one list or map element: the configuration processor does not descend into them. */
    private static List<Key> elementKeys(String prefix, Class<?> type) {
        Object instance = instantiate(type);
        Map<String, String> javadoc = fieldJavadoc(type);
        List<Key> keys = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String name = prefix + "." + dashed(field.getName());
            if (field.getType().getName().startsWith("org.autopilotbridge.") && !field.getType().isEnum()) {
                keys.addAll(elementKeys(name, field.getType()));
                continue;
            }
            keys.add(new Key(name, typeName(typeString(field.getGenericType())), text(valueOf(field, instance)),
                    javadoc.getOrDefault(field.getName(), "")));
        }
        return keys;
    }

    /** config/application.yml's autopilot.* keys as Spring flattens them, with their values as text. */
    static Map<String, String> yamlKeys() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml", new FileSystemResource(YAML))) {
            Map<?, ?> map = ((OriginTrackedMapPropertySource) source).getSource();
            map.forEach((name, value) -> {
                if (name.toString().startsWith("autopilot.")) {
                    Object plain = value instanceof OriginTrackedValue tracked ? tracked.getValue() : value;
                    keys.put(name.toString(), plain == null || plain.toString().isEmpty() ? "empty" : plain.toString());
                }
            });
        }
        return keys;
    }

    private static Path metadataFile() {
        try {
            Path classes = Path.of(FolderProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.resolve("META-INF/spring-configuration-metadata.json");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Javadoc of each field of a (possibly nested) class, read from its source file. */
    private static Map<String, String> fieldJavadoc(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        String source;
        try {
            source = Files.readString(SOURCES.resolve(top.getName().replace('.', '/') + ".java"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int start = source.indexOf(" class " + type.getSimpleName() + " ");
        int next = source.indexOf("public static class ", start + 1);
        String body = source.substring(start, next < 0 ? source.length() : next);
        Map<String, String> docs = new LinkedHashMap<>();
        Matcher field = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*"
                + "private\\s+(?:final\\s+)?[\\w.<>, ?]+?\\s+(\\w+)\\s*[=;]", Pattern.DOTALL).matcher(body);
        while (field.find()) {
            docs.put(field.group(2), field.group(1).replaceAll("\\s*\\n\\s*\\*\\s?", " ").trim());
        }
        return docs;
    }

    private static String typeName(String type) {
        if (!type.contains("<")) {
            try {
                Class<?> plain = load(type);
                if (plain.isEnum()) {
                    return Arrays.stream(plain.getEnumConstants())
                            .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                            .collect(Collectors.joining(", ", "one of ", ""));
                }
            } catch (IllegalStateException notAClass) {
                // a primitive, shown as it is
            }
        }
        return type.replaceAll("[\\w.]+[.$](\\w+)", "$1").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String typeString(Type type) {
        if (type instanceof Class<?> plain) {
            return plain.isPrimitive() ? boxed(plain).getName() : plain.getName();
        }
        ParameterizedType generic = (ParameterizedType) type;
        return typeString(generic.getRawType()) + Arrays.stream(generic.getActualTypeArguments())
                .map(ConfigurationReference::typeString).collect(Collectors.joining(",", "<", ">"));
    }

    private static Class<?> boxed(Class<?> primitive) {
        return primitive == int.class ? Integer.class : primitive == boolean.class ? Boolean.class
                : primitive == long.class ? Long.class : primitive;
    }

    /** A default as the metadata writes it: 30s, 1m, 90d; an empty value, list or none at all is "empty". */
    private static String text(Object value) {
        if (value instanceof JsonNode node) {
            return node.isNull() ? "empty" : node.isArray() ? text(node.isEmpty() ? null : node.toString()) : text(node.asText());
        }
        if (value instanceof Duration duration) {
            for (String unit : List.of("d:86400", "h:3600", "m:60", "s:1")) {
                long seconds = Long.parseLong(unit.substring(2));
                if (!duration.isZero() && duration.toMillis() % (seconds * 1000) == 0) {
                    return duration.toSeconds() / seconds + unit.substring(0, 1);
                }
            }
            return duration.toMillis() + "ms";
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof Collection<?> collection && collection.isEmpty()) {
            return "empty";
        }
        return value == null || value.toString().isEmpty() ? "empty" : value.toString();
    }

    /** Javadoc as markdown: {@code x} in backticks, {@link a.B} as B, and pipes that do not end a cell. */
    private static String markdown(String javadoc) {
        return javadoc.replaceAll("\\{@code ([^}]*)}", "`$1`")
                .replaceAll("\\{@link(?:plain)? (?:[\\w.]+\\.)?([\\w#()]+)(?: ([^}]*))?}", "$1")
                .replaceAll("\\s+", " ").replace("|", "\\|").trim();
    }

    /** A field's name as the configuration files spell it: writesPer20s is writes-per-20s. */
    private static String dashed(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([a-z])([0-9])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }

    private static Object instantiate(Class<?> type) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName(), e);
        }
    }

    private static Object valueOf(Field field, Object instance) {
        try {
            field.setAccessible(true);
            return field.get(instance);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(field.toString(), e);
        }
    }
}
