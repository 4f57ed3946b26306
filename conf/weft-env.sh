# Sourced by bin/weft. Set JAVA_HOME or WEFT_JAVA_OPTS (e.g. -Xmx4g) here.
# export WEFT_JAVA_OPTS="-Xmx2g"
