# Dulae in a container: the second way to run it (the first is systemd, deploy/dulae.service).
#   docker build -t dulae .
#   docker run -d --name dulae --restart unless-stopped --env-file .env -v dulae-data:/data dulae
#   docker exec -it dulae dulae doctor
# A rejected token exits with code 78; with --restart unless-stopped Docker retries it with growing delays, and
# `docker logs dulae` shows what to fix (Thai, then English).

# ---- build ----
FROM rust:1.95-slim-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pkg-config libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin dulae \
    && install -m 755 target/release/dulae /usr/local/bin/dulae

# ---- run ----
FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 dulae \
    && useradd --system --uid 10001 --gid dulae --home-dir /data --shell /usr/sbin/nologin dulae \
    && mkdir -p /data && chown dulae:dulae /data && chmod 700 /data
COPY --from=build /usr/local/bin/dulae /usr/local/bin/dulae
# Everything the school's data needs lives in the volume: the database, photos, charts and daily backups.
ENV DULAE_DB=/data/dulae.db \
    DULAE_MEDIA_DIR=/data/media \
    DULAE_BACKUP_DIR=/data/backups \
    RUST_LOG=info
VOLUME ["/data"]
WORKDIR /data
USER dulae:dulae
# Owner-only files even if something forgets (Dulae sets 0600/0700 itself too).
ENTRYPOINT ["/bin/sh", "-c", "umask 077 && exec /usr/local/bin/dulae \"$@\"", "dulae"]
CMD ["run"]
