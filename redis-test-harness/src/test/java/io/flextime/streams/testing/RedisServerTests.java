package io.flextime.streams.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RedisServerTests {

    @Test
    void killedServerRestartsOnTheSamePortAndKeepsFsyncedWrites() throws IOException {
        try (RedisServer redis = RedisServer.start(RedisServerOptions.defaults().appendOnlyFsyncAlways())) {
            assumeTrue(redis.supportsFaults(), redis.faultsUnsupportedReason());
            int port = redis.port();
            assertThat(send(redis, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")).startsWith("+OK");

            redis.kill();
            assertThat(RespPing.answers(redis.host(), port)).isFalse();
            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(send(redis, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")).startsWith("$1\r\nv");
        }
    }

    @Test
    void stoppedServerNoLongerAnswers() {
        try (RedisServer redis = RedisServer.start()) {
            assumeTrue(redis.supportsFaults(), redis.faultsUnsupportedReason());
            assertThat(RespPing.answers(redis.host(), redis.port())).isTrue();
            redis.stop();
            assertThat(RespPing.answers(redis.host(), redis.port())).isFalse();
        }
    }

    private static String send(RedisServer redis, String command) throws IOException {
        try (Socket socket = new Socket(redis.host(), redis.port())) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int read = in.read(buffer);
            return new String(buffer, 0, read, StandardCharsets.US_ASCII);
        }
    }
}
