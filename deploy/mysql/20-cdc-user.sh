#!/bin/bash
# MySQL image init script (docker-entrypoint-initdb.d, run once, when the data volume is new): the user Debezium
# (Kafka Connect) captures laravel_db with, from CDC_DB_USERNAME / CDC_DB_PASSWORD, with the rights Debezium's
# MySQL connector needs: SELECT and RELOAD for the snapshot, SHOW DATABASES, REPLICATION SLAVE and REPLICATION
# CLIENT to read the binlog.
set -euo pipefail

# a MySQL string literal: backslash and quote escaped
literal() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\\\'}"
}

user=$(literal "${CDC_DB_USERNAME:?CDC_DB_USERNAME is not set}")
password=$(literal "${CDC_DB_PASSWORD:?CDC_DB_PASSWORD is not set}")

mysql --protocol=socket -uroot -p"${MYSQL_ROOT_PASSWORD}" <<SQL
CREATE USER IF NOT EXISTS ${user}@'%' IDENTIFIED BY ${password};
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ${user}@'%';
FLUSH PRIVILEGES;
SQL
echo "cdc-user: created ${CDC_DB_USERNAME} with Debezium's replication rights"
