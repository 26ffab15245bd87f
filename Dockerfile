# Build: docker build -t hrx .
# Run:   docker run -p 8080:8080 -v hrx-data:/data hrx
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# cgo is needed by the SQLite driver.
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/hrx ./cmd/hrx

FROM debian:bookworm-slim
# Chromium and the Noto fonts (Japanese, and Devanagari for Hindi) let
# `hrx report --pdf` print the annual review report inside the container.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    chromium fonts-noto-core fonts-noto-cjk && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /data hrx && mkdir -p /data && chown hrx /data
COPY --from=build /out/hrx /usr/local/bin/hrx
USER hrx
WORKDIR /data
VOLUME /data
ENV HRX_ADDR=:8080 HRX_DATABASE_URL=/data/hrx.db
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/hrx"]
CMD ["serve"]
