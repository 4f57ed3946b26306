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

  public static void main(String[] args) {
    System.out.print(markdownTable());
  }
}
