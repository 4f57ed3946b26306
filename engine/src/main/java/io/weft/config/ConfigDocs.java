package io.weft.config;

/**
 * Prints the configuration table of the README from the declared entries, so the docs cannot
 * drift from the code: {@code java -cp ... io.weft.config.ConfigDocs}. A unit test checks that the
 * README holds exactly this table.
 */
public final class ConfigDocs {
  private ConfigDocs() {}

  public static String markdownTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | type | default | meaning |\n");
    sb.append("|---|---|---|---|\n");
    for (ConfigEntry<?> e : ConfigRegistry.all()) {
      sb.append("| `").append(e.key()).append("` | ").append(e.typeName()).append(" | ")
          .append(e.defaultValue() == null ? "—" : "`" + e.defaultValue() + "`").append(" | ")
          .append(e.doc().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * Prints the table, or with {@code --update FILE} rewrites the part of FILE between
   * {@code <!-- config-table:start -->} and {@code <!-- config-table:end -->}.
   */
  public static void main(String[] args) throws java.io.IOException {
    if (args.length == 2 && args[0].equals("--update")) {
      java.nio.file.Path file = java.nio.file.Path.of(args[1]);
      String text = java.nio.file.Files.readString(file);
      String start = "<!-- config-table:start -->\n";
      int s = text.indexOf(start);
      int e = text.indexOf("<!-- config-table:end -->");
      if (s < 0 || e < s) {
        throw new IllegalArgumentException(file + " has no config-table markers");
      }
      java.nio.file.Files.writeString(file, text.substring(0, s + start.length()) + markdownTable() + text.substring(e));
      return;
    }
    System.out.print(markdownTable());
  }
}
