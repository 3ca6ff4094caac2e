package io.argus.edge.files;

import io.argus.edge.security.Principal;
import io.argus.schemas.avro.FileInfo;

/**
 * Who may see and manage a file of the media API. Pure.
 *
 * <ul>
 *   <li>read (list, metadata, {@code /video}, {@code /thumbnail}, {@code /clip}, signing a URL): an
 *       admin; the file's owner ({@link FileInfo#getOwner()}, the principal that uploaded it); a
 *       principal in its grants ({@link FileInfo#getGrants()}); a principal whose
 *       {@link Principal#files()} names it (a JWT's {@code argus_files}, a signed URL's file);</li>
 *   <li>manage (delete, grant, revoke): an admin or the owner.</li>
 * </ul>
 * A file recorded without an owner (uploaded before owners were recorded) is an admin's only. A
 * file a principal may not read is answered exactly like an unknown file (404 "file not found"),
 * so that its existence does not show.
 */
public final class FileAccess {

    private FileAccess() {
    }

    /**
     * @param who  the request's principal
     * @param file a file
     * @return true when {@code who} may read the file (see the class comment)
     */
    public static boolean canRead(Principal who, FileInfo file) {
        if (who.admin() || who.files().contains(file.getFileUuid())) {
            return true;
        }
        if (who.source() == Principal.Source.SIGNED_URL) {
            return false;
        }
        return owns(who, file) || file.getGrants().contains(who.name());
    }

    /**
     * @param who  the request's principal
     * @param file a file
     * @return true when {@code who} may delete the file and change its grants
     */
    public static boolean canManage(Principal who, FileInfo file) {
        return who.admin() || (who.source() != Principal.Source.SIGNED_URL && owns(who, file));
    }

    private static boolean owns(Principal who, FileInfo file) {
        return file.getOwner() != null && file.getOwner().equals(who.name());
    }
}
