package io.flextime.streams.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A dependency-free readiness probe: one RESP {@code PING}, true only on {@code +PONG}. */
final class RespPing {

    private RespPing() {
    }

    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            // While Redis loads its AOF it answers "-LOADING ...", which is not ready yet.
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        }
        catch (IOException ex) {
            return false;
        }
    }
}
