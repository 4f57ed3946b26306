package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.config.ConfigDocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is exactly what the code declares. It lives here because
 * this module sees every option holder (engine and YARN), as {@code bin/weft config-docs} does.
 */
class ConfigDocsTest {
  @Test
  void readmeHoldsTheGeneratedConfigTable() throws IOException {
    String text = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    String start = "<!-- config-table:start -->\n";
    int s = text.indexOf(start);
    int e = text.indexOf("<!-- config-table:end -->");
    assertTrue(s >= 0 && e > s, "README.md lacks the config-table markers");
    String table = ConfigDocs.markdownTable();
    assertTrue(table.contains("weft.yarn.queue") && table.contains("weft.shuffle.memory"), table);
    assertEquals(table, text.substring(s + start.length(), e),
        "README's config table is stale: regenerate it with bin/weft config-docs --update README.md");
  }
}
