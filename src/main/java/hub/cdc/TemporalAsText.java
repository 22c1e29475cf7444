package hub.cdc;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Debezium converter ({@code converters=temporal}, {@code temporal.type=hub.cdc.TemporalAsText}): MySQL's
 * zone-less DATETIME, DATE and TIME columns as ISO-8601 text ({@code 2026-11-29T21:05:00.123456}) instead of
 * epoch numbers, so a change event without a schema still says what the value is, and Elasticsearch and the
 * warehouse get the wall-clock value the application wrote. TIMESTAMP columns are left to Debezium, which
 * already writes them as UTC text with a zone.
 */
public class TemporalAsText implements CustomConverter<SchemaBuilder, RelationalColumn> {

    public static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    @Override
    public void configure(Properties properties) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        switch (column.typeName().toUpperCase(Locale.ROOT)) {
            case "DATETIME" -> registration.register(SchemaBuilder.string().optional(), TemporalAsText::dateTime);
            case "DATE" -> registration.register(SchemaBuilder.string().optional(), TemporalAsText::date);
            case "TIME" -> registration.register(SchemaBuilder.string().optional(), TemporalAsText::time);
            default -> {
                // other columns keep Debezium's own conversion
            }
        }
    }

    private static Object dateTime(Object value) {
        if (value instanceof LocalDateTime v) {
            return DATETIME.format(v);
        }
        if (value instanceof Timestamp v) {
            return DATETIME.format(v.toLocalDateTime());
        }
        return value == null ? null : value.toString();
    }

    private static Object date(Object value) {
        if (value instanceof LocalDate v) {
            return v.toString();
        }
        if (value instanceof java.sql.Date v) {
            return v.toLocalDate().toString();
        }
        if (value instanceof LocalDateTime v) {
            return v.toLocalDate().toString();
        }
        return value == null ? null : value.toString();
    }

    private static Object time(Object value) {
        if (value instanceof Duration v) {
            return TIME.format(LocalTime.MIDNIGHT.plus(v));
        }
        if (value instanceof LocalTime v) {
            return TIME.format(v);
        }
        if (value instanceof java.sql.Time v) {
            return TIME.format(v.toLocalTime());
        }
        return value == null ? null : value.toString();
    }
}
