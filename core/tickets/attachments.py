"""Files on tickets: checked for size and type before anything is written, stored under instance/uploads
with a random name, and served only through a view that checks the ticket is visible to the reader."""
import hashlib
import mimetypes
import os
import uuid

from flask import current_app, send_file
from flask_babel import gettext as _

from core.extensions import db
from core.models import Attachment, utcnow

# Shown inline in the browser; everything else is downloaded.
INLINE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")


class UploadError(ValueError):
    pass


def upload_root():
    return os.path.join(current_app.instance_path, "uploads")


def check_files(files):
    """Refuse the whole request if any file is too large, empty or of a type the site does not accept."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    allowed = set(current_app.config["UPLOAD_EXTENSIONS"])
    checked = []
    for storage in files:
        if storage is None or not storage.filename:
            continue
        name = os.path.basename(storage.filename.replace("\\", "/")).strip()[:255]
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in allowed:
            raise UploadError(_("%(name)s: this type of file is not accepted (allowed: %(types)s).",
                                name=name, types=", ".join(sorted(allowed))))
        data = storage.read(limit + 1)
        if len(data) > limit:
            raise UploadError(_("%(name)s is larger than %(size)s MB.", name=name, size=limit // (1024 * 1024)))
        if not data:
            raise UploadError(_("%(name)s is empty.", name=name))
        content_type = mimetypes.types_map.get("." + extension, "application/octet-stream")
        checked.append((name, content_type, data))
    return checked


def store(ticket, checked_files, *, uploader, event=None):
    """Write checked files and their rows; the caller commits (a failed commit leaves only orphan files)."""
    rows = []
    now = utcnow()
    for name, content_type, data in checked_files:
        relative = os.path.join(now.strftime("%Y/%m"), uuid.uuid4().hex)
        path = os.path.join(upload_root(), relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        row = Attachment(ticket_id=ticket.id, event=event, filename=name, content_type=content_type, size=len(data),
                         sha256=hashlib.sha256(data).hexdigest(), storage_path=relative,
                         uploaded_by_id=getattr(uploader, "id", None), created_at=now)
        db.session.add(row)
        rows.append(row)
    return rows


def file_path(attachment):
    return os.path.join(upload_root(), attachment.storage_path)


def send(attachment):
    """A stored file as a response: inline only for types a browser shows safely, never sniffed into another."""
    response = send_file(file_path(attachment), mimetype=attachment.content_type, download_name=attachment.filename,
                         as_attachment=attachment.content_type not in INLINE_TYPES)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
