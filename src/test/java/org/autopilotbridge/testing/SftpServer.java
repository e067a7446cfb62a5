package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real SFTP server (Apache MINA SSHD) on loopback, serving a folder, with its own host key, like a vendor's
 * server: one user logs in by public key, another by password. The login folder is the served folder's root
 * unless {@link #loginFolder} puts it deeper, as on a server that does not jail its users; folders can be made
 * unlistable or read-only, as with a permission the vendor forgot; and a file can be listed under a name no file
 * system holds, as a hostile or broken server may send any text as a name.
 */
public final class SftpServer implements AutoCloseable {

    public static final String USER = "vendor";
    /** A second account that logs in with a password, for vendors that insist on one. */
    public static final String PASSWORD_USER = "legacy";
    public static final String PASSWORD = "p&ss+w0rd=%20;x";

    private final KeyPair hostKey;
    private final PublicKey clientKey;
    private final Path root;
    private final int port;
    /** The port from construction to start, refusing connections as a server that is down does; null once started. */
    private ClosedPort reserved;
    private final Set<String> unlistable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger logins = new AtomicInteger();
    private final Set<String> readOnly = ConcurrentHashMap.newKeySet();
    private final Map<String, String> listedAs = new ConcurrentHashMap<>();
    private volatile String loginFolder = "/";
    private SshServer sshd;

    /**
     * A server that will listen, once started, on a port the system chooses now: held from here on (so that the
     * service can be given it first), refusing connections until then.
     */
    public SftpServer(Path root, PublicKey clientKey) {
        this.root = root;
        this.clientKey = clientKey;
        this.reserved = new ClosedPort();
        this.port = reserved.port();
        this.hostKey = ecKey();
    }

    /** Where a login starts, as the server sees it (e.g. /home/vendor): relative folders are taken from there. */
    public SftpServer loginFolder(String folder) {
        loginFolder = folder;
        return this;
    }

    /** Listing this folder (absolute, as the server sees it) is refused with "permission denied". */
    public void refuseListing(String folder) {
        unlistable.add(folder);
    }

    /**
     * Nothing in this folder (absolute, as the server sees it) or below can be created, renamed or removed: "permission
     * denied", as for a folder the login may only read.
     */
    public void readOnly(String folder) {
        readOnly.add(folder);
    }

    /**
     * The file at {@code path} (absolute, as the server sees it) is listed as {@code name}, whatever that holds. The
     * server resolves paths as usual, so a request for a name with {@code ..} in it reaches wherever that leads.
     */
    public void listAs(String path, String name) {
        listedAs.put(path, name);
    }

    public SftpServer start() {
        try {
            Files.createDirectories(root);
            sshd = SshServer.setUpDefaultServer();
            sshd.setHost("127.0.0.1");
            sshd.setPort(port);
            sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, clientKey));
            sshd.setPasswordAuthenticator((user, password, session) -> PASSWORD_USER.equals(user) && PASSWORD.equals(password));
            sshd.setSubsystemFactories(List.of(sftpSubsystem()));
            sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
            sshd.addSessionListener(new SessionListener() {
                @Override
                public void sessionEvent(Session session, Event event) {
                    if (event == Event.Authenticated) {
                        logins.incrementAndGet();
                    }
                }
            });
            if (reserved != null) {
                reserved.close();
                reserved = null;
            }
            sshd.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SftpSubsystemFactory sftpSubsystem() {
        SftpSubsystemFactory factory = new SftpSubsystemFactory() {
            @Override
            public Command createSubsystem(ChannelSession channel) {
                return new SftpSubsystem(channel, this) {
                    @Override
                    public void setFileSystem(FileSystem fileSystem) {
                        super.setFileSystem(fileSystem);
                        defaultDir = fileSystem.getPath(loginFolder);
                    }
                };
            }
        };
        factory.setFileSystemAccessor(new SftpFileSystemAccessor() {
            @Override
            public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle handle, Path dir,
                                                       String handleId, LinkOption... options) throws IOException {
                if (unlistable.contains(serverPath(dir))) {
                    throw new AccessDeniedException(dir.toString());
                }
                return SftpFileSystemAccessor.super.openDirectory(subsystem, handle, dir, handleId, options);
            }

            @Override
            public void putRemoteFileName(SftpSubsystemProxy subsystem, Path path, Buffer buf, String name, boolean shortName)
                    throws IOException {
                String listed = listedAs.get(serverPath(path));
                String real = String.valueOf(path.getFileName());
                buf.putString(listed == null || !name.endsWith(real) ? name
                        : name.substring(0, name.length() - real.length()) + listed);
            }

            @Override
            public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                                                Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
                if (options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)) {
                    refuseInReadOnly(file);
                }
                return SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, attrs);
            }

            @Override
            public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
                refuseInReadOnly(path);
                SftpFileSystemAccessor.super.createDirectory(subsystem, path);
            }

            @Override
            public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts)
                    throws IOException {
                refuseInReadOnly(oldPath);
                refuseInReadOnly(newPath);
                SftpFileSystemAccessor.super.renameFile(subsystem, oldPath, newPath, opts);
            }

            @Override
            public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
                refuseInReadOnly(path);
                SftpFileSystemAccessor.super.removeFile(subsystem, path, isDirectory);
            }
        });
        return factory;
    }

    /** Successful logins since start, of any user. */
    public int logins() {
        return logins.get();
    }

    private void refuseInReadOnly(Path path) throws AccessDeniedException {
        String where = serverPath(path);
        if (readOnly.stream().anyMatch(folder -> where.equals(folder) || where.startsWith(folder + "/"))) {
            throw new AccessDeniedException(where);
        }
    }

    private static String serverPath(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    /**
     * Points vendor {@code index} of the service at this server's folder {@code directory}: the key login of
     * {@link #USER}, this server's host key from {@code knownHosts}, polled every 300 ms.
     */
    public void registerVendor(DynamicPropertyRegistry registry, int index, String name, String directory, Path clientKeyFile,
                               Path knownHosts) {
        String key = "autopilot.vendors[" + index + "].";
        registry.add(key + "name", () -> name);
        registry.add(key + "sftp.host", () -> "127.0.0.1");
        registry.add(key + "sftp.port", this::port);
        registry.add(key + "sftp.username", () -> USER);
        registry.add(key + "sftp.private-key-file", clientKeyFile::toString);
        registry.add(key + "sftp.known-hosts-file", knownHosts::toString);
        registry.add(key + "sftp.directory", () -> directory);
        registry.add(key + "sftp.poll-interval", () -> "300ms");
    }

    public int port() {
        return port;
    }

    public Path root() {
        return root;
    }

    /** The known_hosts line for this server, as {@code ssh-keyscan -p PORT 127.0.0.1} prints it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** A known_hosts line for this server's address but somebody else's key: what a spoofed server looks like. */
    public String impostorKnownHostsLine() {
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(ecKey().getPublic());
    }

    /** A new RSA key pair with its private key written in OpenSSH format, as ssh-keygen writes it. */
    public static KeyPair clientKey(Path privateKeyFile) {
        try {
            KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
            try (OutputStream out = Files.newOutputStream(privateKeyFile)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "autopilot-bridge-test", null, out);
            }
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKey() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (reserved != null) {
            reserved.close();
        }
        if (sshd != null) {
            sshd.stop(true);
        }
    }
}
