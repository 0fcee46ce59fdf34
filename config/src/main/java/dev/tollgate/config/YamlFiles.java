package dev.tollgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses YAML into plain maps, lists and scalars. Safe by construction: no custom types, no
 * duplicate keys (the second would silently win), a cap on aliases against expansion bombs.
 */
public final class YamlFiles {
  private YamlFiles() {}

  /** Reads and parses {@code file}; a {@link ConfigException} says which file and line is wrong. */
  public static Object load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
    return parse(text, file.toString());
  }

  /** Parses {@code text}; {@code origin} names it in errors. */
  public static Object parse(String text, String origin) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(4 * 1024 * 1024);
    try {
      return new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null ? "" : ":" + (e.getProblemMark().getLine() + 1);
      throw new ConfigException(origin + where + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(origin + ": " + e.getMessage());
    }
  }
}
